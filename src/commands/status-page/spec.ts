/** `ir status-page …`: the public status page, built from the record as static files. */
import { bool, command, group, runs, text, type FlagsOf } from '../spec.js';

export const statusPageBuild = command({
  name: 'build',
  readsOnly: true,
  description:
    'write the status page: index.html, history/, an Atom feed and Statuspage-v2-shaped JSON (api/v2/) — static files any host serves',
  flags: [
    text('--out <dir>', 'where (default: site); replaced whole, so it must be new, empty or built by ir', {
      env: 'IR_STATUS_PAGE_OUT',
    }),
    bool('--json', 'print what was built as JSON'),
  ],
  examples: ['ir status-page build', 'ir status-page build --out public/status --json'],
});
export type StatusPageBuildFlags = FlagsOf<typeof statusPageBuild>;

export const statusPageCommands = group(
  'status-page',
  'the public status page: components, public incident updates, maintenance and history',
  [runs(statusPageBuild, () => import('./build.js'))],
);
