/** Values the change commands share. */
import { FlagError } from '../../errors.js';

export function requiredService(service: string | undefined): string {
  if (service === undefined) throw new FlagError('--service', 'is required', 'e.g. --service api');
  return service;
}
