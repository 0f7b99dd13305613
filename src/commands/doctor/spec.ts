/** `ir doctor`: its declaration and the options type derived from it. */
import { bool, command, runs, type FlagsOf } from '../spec.js';

export const doctor = command({
  name: 'doctor',
  description:
    'check the set-up: configuration, database, runbooks, schedules, SLO files and the tools runbooks call (exit 1 on errors)',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir doctor', 'ir doctor --json'],
});
export type DoctorFlags = FlagsOf<typeof doctor>;

export const doctorCommands = runs(doctor, () => import('./doctor.js'));
