/**
 * Runs a program to its end for the tests of built or installed probes:
 * its exit status and both streams, killed after a generous bound (the
 * machine is shared) so a hung child still ends the test.
 */
import { spawn } from 'node:child_process';

export interface ProgramRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runProgram(
  program: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
