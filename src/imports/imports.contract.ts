import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, StringEnum } from '../platform/index.js';

// The imports' API shapes, written once: validation, /openapi.json and the console's types.

export const IMPORT_FORMATS = ['online_retail', 'omniloop'] as const;

/** How to read a file, from the query of `POST /v1/imports/orders` or the CLI's flags. */
export const ImportOptions = Type.Object(
  {
    format: StringEnum(IMPORT_FORMATS),
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'UTC',
      description: 'the zone of the file’s wall-clock times (IANA, e.g. Europe/London)',
    }),
    channel: StringEnum(CHANNELS, { default: 'online', description: 'the channel the history was sold in' }),
    storeCode: Type.Optional(codeString),
  },
  { additionalProperties: false },
);
export type ImportOptions = Static<typeof ImportOptions>;

const Time = Type.String({ format: 'date-time' });

export const ImportView = Type.Object({
  id: Type.String(),
  format: Type.String(),
  status: StringEnum(['running', 'completed', 'failed']),
  fileName: Nullable(Type.String()),
  fileBytes: Type.Integer(),
  rowsTotal: Type.Integer({ description: 'records in the file (after its header)' }),
  rowsRead: Type.Integer(),
  rowsImported: Type.Integer({ description: 'rows of orders and returns this import created' }),
  rowsRejected: Type.Integer(),
  duplicatesDropped: Type.Integer(),
  ordersCreated: Type.Integer(),
  returnsCreated: Type.Integer(),
  membersCreated: Type.Integer(),
  productsCreated: Type.Integer(),
  startedAt: Time,
  finishedAt: Nullable(Time),
  error: Type.Optional(Type.String()),
});
export type ImportView = Static<typeof ImportView>;

export const ImportStarted = Type.Object({ id: Type.String(), status: StringEnum(['running', 'completed']) });
