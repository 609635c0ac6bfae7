import { type Api, type AppContext, actorOf, command, idParams, STAFF_ROLES } from '../platform/index.js';
import { assignGuide } from './guide.service.js';
import { GuideAssignment, GuideBinding } from './members.contract.js';

export function registerGuideRoutes(app: Api, ctx: AppContext): void {
  app.put(
    '/v1/members/:id/guide',
    {
      config: { auth: { roles: STAFF_ROLES, store: (request) => (request.body as { store: string }).store } },
      schema: {
        tags: ['members'],
        summary: "Assign the member's exclusive guide (专属导购); store staff only for their own store",
        params: idParams,
        body: GuideAssignment,
        response: { 200: GuideBinding },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        assignGuide(trx, request.params.id, request.body, actorOf(request)),
      ),
  );
}
