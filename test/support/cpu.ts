/**
 * CPU time this process has used, in milliseconds. Tests that check a limit trips quickly (rather than
 * running for minutes) measure this, not the wall clock: another process keeping the cores busy does not
 * make it grow, so such a test never fails because the machine is busy.
 */
export function cpuMillis(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}
