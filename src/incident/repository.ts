/** The incident repository every service writes through: credentials in what is written are masked. */
import type { Context } from '../context.js';
import { envMasker } from '../secrets.js';
import type { IncidentRepository } from '../store/incidents.js';
import { maskingRepository } from './redact.js';

export async function repository(ctx: Context): Promise<IncidentRepository> {
  return maskingRepository((await ctx.store()).incidents, envMasker(ctx.env));
}
