import { defineError } from '../platform/index.js';

/** The imports' error catalogue. */
export const ImportErrors = {
  notFound: defineError('IMPORT.NOT_FOUND', 'not_found', 'No such import'),
  badHeader: defineError('IMPORT.BAD_HEADER', 'invalid', 'The file’s header is not the format’s'),
  emptyFile: defineError('IMPORT.EMPTY_FILE', 'invalid', 'The file is empty'),
  unreadable: defineError('IMPORT.UNREADABLE', 'invalid', 'The file cannot be read'),
  invalidTimezone: defineError('IMPORT.INVALID_TIMEZONE', 'invalid', 'No such time zone'),
  fileTooLarge: defineError('IMPORT.FILE_TOO_LARGE', 'too_large', 'The file is too large'),
};
