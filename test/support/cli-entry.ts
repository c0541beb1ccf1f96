import { endQuietlyWhenReaderCloses } from "../../src/cli/closed-pipe.js";
import { main } from "../../src/cli/main.js";

endQuietlyWhenReaderCloses();
process.exitCode = await main(process.argv);
