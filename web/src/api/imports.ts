import { type Answer, call, client, type QueryOf } from './client';

/** The brand's history imports, as the console reads them. */
export type ImportReport = Answer<'/v1/imports/{id}'>;
export type ImportQuery = QueryOf<'/v1/imports/orders', 'post'>;

/** Uploads a file (the body is the file itself, streamed by the browser): CSV, or gzip for `.gz`. */
export const uploadOrderHistory = (file: File, query: ImportQuery) =>
  call(
    client.POST('/v1/imports/orders', {
      params: { query },
      body: file as never,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: {
        'content-type': file.name.endsWith('.gz') ? 'application/gzip' : 'text/csv',
        'x-file-name': encodeURIComponent(file.name),
      },
    }),
  );

export const getImport = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/imports/{id}', { params: { path: { id } }, signal }));

/** The rejected rows as a CSV file the browser saves. */
export async function downloadRejects(id: string): Promise<void> {
  const blob = await call(
    client.GET('/v1/imports/{id}/rejects', { params: { path: { id } }, parseAs: 'blob' }),
  );
  const url = URL.createObjectURL(blob as unknown as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${id}-rejects.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
