import type { ChildProcess } from "node:child_process";

/** A spawned service: what it printed (for error messages), whether it exited, and a clean stop. */
export interface Supervised {
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited after 3 s. */
  stop(): Promise<void>;
}

export function supervise(child: ChildProcess): Supervised {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  return {
    output: () => output.trim(),
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(timer);
    },
  };
}
