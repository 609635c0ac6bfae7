import Type, { type Static } from 'typebox';
import { codeString, Nullable, pageQuery, StringEnum } from '../platform/index.js';
import { EIGHT_CLASS_SEGMENTS, RFM_SEGMENTS } from './rfm.rules.js';

// RFM runs' API shapes, written once: validation, /openapi.json and the console's types.

const SEGMENTS = [...RFM_SEGMENTS, ...EIGHT_CLASS_SEGMENTS];
const Segment = StringEnum(SEGMENTS);
const Fen = (description: string) => Type.Integer({ description });

const FixedThreshold = Type.Object(
  {
    r: Type.Integer({ minimum: 0, maximum: 100_000, description: 'days' }),
    f: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'orders' }),
    m: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'fen' }),
  },
  { additionalProperties: false },
);
const Threshold = Type.Union([StringEnum(['mean', 'median']), FixedThreshold], {
  description: 'eight classes only: high or low against the mean (default), the median or fixed values',
});

export const RfmRunRequest = Type.Object(
  {
    scheme: StringEnum(['quintile', 'eight_class']),
    asOf: Type.Optional(
      Type.String({ format: 'date-time', description: 'recency is measured to it; now by default' }),
    ),
    windowDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 36_500, description: 'only purchases in the days before asOf' }),
    ),
    monetary: Type.Optional(StringEnum(['total', 'average'], { default: 'total' })),
    threshold: Type.Optional(Threshold),
  },
  { additionalProperties: false },
);
export type RfmRunRequest = Static<typeof RfmRunRequest>;

export const RfmSegmentSize = Type.Object({
  segment: Segment,
  members: Type.Integer(),
  monetary: Fen('the members’ monetary values summed'),
});

export const RfmRun = Type.Object({
  id: Type.String(),
  scheme: StringEnum(['quintile', 'eight_class']),
  asOf: Type.String({ format: 'date-time' }),
  settings: Type.Object({
    windowDays: Nullable(Type.Integer()),
    monetary: StringEnum(['total', 'average']),
    threshold: Type.Union([StringEnum(['mean', 'median']), FixedThreshold, Type.Null()]),
  }),
  members: Type.Integer({ description: 'members scored: every member with a purchase in the window' }),
  durationMs: Type.Integer(),
  segments: Type.Array(RfmSegmentSize),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type RfmRun = Static<typeof RfmRun>;

export const RfmRunsQuery = pageQuery({ scheme: StringEnum(['quintile', 'eight_class']) });

export const MovementsQuery = Type.Object(
  { from: Type.String({ minLength: 1, maxLength: 64, description: 'the earlier run' }) },
  { additionalProperties: false },
);

export const RfmMovements = Type.Object({
  from: Type.String(),
  to: Type.String(),
  moves: Type.Array(
    // `from` null: not scored in the earlier run (she entered); `to` null: not scored in this one (she left).
    Type.Object({
      from: Nullable(Segment),
      to: Nullable(Segment),
      members: Type.Integer(),
    }),
  ),
});

export const RfmGrid = Type.Object({
  cells: Type.Array(
    Type.Object({
      rScore: Type.Integer(),
      fScore: Type.Integer(),
      members: Type.Integer(),
      monetary: Fen('the cell’s members’ monetary values summed'),
    }),
  ),
});

export const MemberRfmScore = Type.Object({
  runId: Type.String(),
  scheme: StringEnum(['quintile', 'eight_class']),
  asOf: Type.String({ format: 'date-time' }),
  recency: Type.Integer({ description: 'whole days from her last purchase to asOf' }),
  frequency: Type.Integer(),
  monetary: Fen('fen: total, or per order'),
  rScore: Type.Integer(),
  fScore: Type.Integer(),
  mScore: Type.Integer(),
  segment: Segment,
});
export const MemberRfm = Type.Array(MemberRfmScore, {
  description: 'her scores in the latest run of each scheme',
});

export const RunParams = Type.Object({ id: codeString });
