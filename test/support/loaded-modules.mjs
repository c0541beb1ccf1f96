// `--import` this (NODE_OPTIONS) to record every module the process loads: each resolved URL is
// appended, one a line, to the file TIERWISE_LOADED_MODULES names (test/cli/startup.test.ts).
import { register } from "node:module";

register(new URL("./loaded-modules-hooks.mjs", import.meta.url));
