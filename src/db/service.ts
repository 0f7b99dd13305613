/** `ir db`: the state database as the store describes it (opening it applies pending migrations). */
import type { Context } from '../context.js';
import type { StoreInfo } from '../store/types.js';

export async function databaseInfo(ctx: Context): Promise<StoreInfo> {
  return (await ctx.store()).info();
}
