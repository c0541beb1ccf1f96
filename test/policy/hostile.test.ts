import { memoryStore } from "../run/support.js";
import { hostileSuite } from "./hostile-suite.js";

// The same suite can run on PostgreSQL: hostileSuite("postgres", () => openStore("", { engine: "postgres", databaseUrl })).
hostileSuite("duckdb", memoryStore);
