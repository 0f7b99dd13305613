/**
 * How a cancelled prompt is recognised, apart from the prompt adapter (prompt.ts) so that the
 * error boundary and the runbook runner can tell without loading @inquirer/prompts.
 */

/** @inquirer/prompts rejects with these on Ctrl-C or an aborted prompt; ir treats them as a quiet cancel. */
export function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
