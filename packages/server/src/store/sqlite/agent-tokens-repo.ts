/** @module store/sqlite/agent-tokens-repo — agent tokens on SQLite (one token table shape: store/statements/tokens.ts). */
import { AGENT_TOKENS } from '../statements/tokens.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('agentTokens', (db) => db.bind(AGENT_TOKENS));
