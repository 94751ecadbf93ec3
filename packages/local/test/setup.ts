import { inject } from "vitest";

// Tests read the table directly (to prove that refused requests changed nothing) and the
// Lambda entry point runs in-process: both need the same environment as the API server.
Object.assign(process.env, inject("stack").env);
