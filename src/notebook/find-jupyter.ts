import * as fs from "node:fs";
import * as path from "node:path";

/** How to run Jupyter's headless runner: the Python interpreter that has nbclient and nbconvert. */
export interface JupyterRuntime {
  /** The `jupyter` command that was found (its shebang names the Python). */
  jupyterCommand: string;
  /** The Python interpreter behind it (Debian: /usr/bin/python3). */
  python: string;
}

export const JUPYTER_INSTALL_HINT =
  "Run `npm run setup` (it apt-installs jupyter-nbconvert python3-nbclient jupyter-client), " +
  "or set RERANK_JUPYTER to the path of your `jupyter` command.";

/**
 * Finds Jupyter: `RERANK_JUPYTER` (a path to a `jupyter` command) if set, else `jupyter` on PATH; the Python that
 * runs notebooks is the one in that command's `#!` line, so a pyenv or venv `python3` earlier on PATH that lacks
 * nbclient is not picked by mistake.
 * Throws with what to install when there is no Jupyter.
 * @example findJupyter() // { jupyterCommand: "/usr/bin/jupyter", python: "/usr/bin/python3" }
 */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): JupyterRuntime {
  const configured = env.RERANK_JUPYTER;
  const jupyterCommand = configured ? path.resolve(configured) : searchPath("jupyter", env.PATH ?? "");
  if (!jupyterCommand || !isExecutableFile(jupyterCommand)) {
    const where = configured ? `RERANK_JUPYTER=${configured} is not an executable file` : "no `jupyter` command on PATH";
    throw new Error(`report: Jupyter is not installed (${where}). ${JUPYTER_INSTALL_HINT}`);
  }
  const firstLine = fs.readFileSync(jupyterCommand, "utf8").split("\n", 1)[0];
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  let python: string | undefined;
  if (shebang && path.basename(shebang[1]) === "env" && shebang[2]) python = searchPath(shebang[2], env.PATH ?? "");
  else if (shebang) python = shebang[1];
  if (!python || !isExecutableFile(python)) {
    throw new Error(
      `report: cannot tell which Python runs ${jupyterCommand} (first line: ${JSON.stringify(firstLine)}). ${JUPYTER_INSTALL_HINT}`,
    );
  }
  return { jupyterCommand, python };
}

function searchPath(command: string, searchPathValue: string): string | undefined {
  for (const folder of searchPathValue.split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
