#!/usr/bin/env node
// The tierwise command: runs the compiled CLI (npm install builds it via `prepare`).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv);
