/** @module store/sqlite/agent-checkins-repo — agents' last check-ins on SQLite (store/statements/agent-checkins.ts). */
import { AGENT_CHECKINS } from '../statements/agent-checkins.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('agentCheckins', (db) => db.bind(AGENT_CHECKINS));
