import type { FastifyInstance } from 'fastify';
import { type AppContext, actorOf, codeString, command, idParams, STAFF_ROLES } from '../platform/index.js';
import { assignGuide } from './guide.service.js';
import { guideSchema } from './members.http.js';

export function registerGuideRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put<{ Params: { id: string }; Body: { guide: string; store: string } }>(
    '/v1/members/:id/guide',
    {
      config: { auth: { roles: STAFF_ROLES, store: (request) => (request.body as { store: string }).store } },
      schema: {
        tags: ['members'],
        summary: "Assign the member's exclusive guide (专属导购); store staff only for their own store",
        params: idParams,
        body: {
          type: 'object',
          required: ['guide', 'store'],
          additionalProperties: false,
          properties: {
            guide: codeString,
            store: codeString,
          },
        },
        response: { 200: guideSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        assignGuide(trx, request.params.id, request.body, actorOf(request)),
      ),
  );
}
