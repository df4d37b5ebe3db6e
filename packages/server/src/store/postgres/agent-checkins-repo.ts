/** @module store/postgres/agent-checkins-repo — agents' last check-ins on PostgreSQL (store/statements/agent-checkins.ts). */
import { AGENT_CHECKINS } from '../statements/agent-checkins.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('agentCheckins', (db) => db.bind(AGENT_CHECKINS));
