#!/usr/bin/env node
import { endQuietlyWhenReaderCloses } from "../dist/cli/closed-pipe.js";
// The tierwise command: runs the compiled CLI (npm install builds it via `prepare`).
import { main } from "../dist/cli/main.js";

endQuietlyWhenReaderCloses();
process.exitCode = await main(process.argv);
