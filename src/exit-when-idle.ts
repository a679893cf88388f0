/**
 * Ends the process with `code` the way Node ends one that has nothing left to do, rather than by process.exit().
 * process.exit() shuts Node's platform threads down while V8 may still be optimizing code in the background; a
 * compile job that needs a garbage collection then waits for the main thread forever. Seen here (gdb): a CLI that
 * had printed its output hung in NodePlatform::Shutdown, joining a TurboFan job stuck in
 * CollectionBarrier::AwaitCollectionBackground; 2 of 7 local runs of the test suite hung so, and CI at the same
 * point. A natural exit disposes the isolate first, which stops such jobs. If something still keeps the event loop
 * alive after `graceMs`, process.exit is the fallback.
 */
export function exitWhenIdle(code: number, graceMs = 10_000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}
