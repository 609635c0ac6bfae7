import type { FastifyRequest } from 'fastify';

/** Who acts: recorded on merges, consents, ledgers, timelines and the audit log. */
export interface Actor {
  role: string;
  subject: string;
  requestId?: string | undefined;
}

/** The caller of a request as the actor its changes are recorded under. */
export function actorOf(request: FastifyRequest): Actor {
  return { role: request.principal.role, subject: request.principal.subject, requestId: request.id };
}

/** How an actor is written in a ledger's or a timeline's `actor` column: `role:subject`. */
export function actorName(actor: Pick<Actor, 'role' | 'subject'>): string {
  return `${actor.role}:${actor.subject}`;
}
