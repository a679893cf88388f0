/**
 * Test set-up shared by the notebook tests: a temporary Jupyter data folder holding the project's kernelspec,
 * made visible through JUPYTER_PATH, and an empty user data folder so a kernel the user registered is never used.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernel } from "../../kernel-config/install-kernel";

export interface JupyterSandbox {
  /** Scratch folder for the test's reports; removed by `cleanup`. */
  folder: string;
  /** Environment for processes that must find the kernel only in the sandbox. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function createJupyterSandbox(options: { registerKernel: boolean }): JupyterSandbox {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-jupyter-"));
  const jupyterPath = path.join(folder, "jupyter-path");
  const userDataDir = path.join(folder, "user-data");
  fs.mkdirSync(jupyterPath);
  fs.mkdirSync(userDataDir);
  if (options.registerKernel) installKernel({ jupyterDataDir: jupyterPath });
  return {
    folder,
    // Debian bookworm's jupyter_core still lists ~/.local/share/jupyter when JUPYTER_DATA_DIR is set, so HOME
    // moves too: a kernel registered by `npm run setup` must stay invisible here.
    env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_DATA_DIR: userDataDir, HOME: userDataDir },
    cleanup: () => fs.rmSync(folder, { recursive: true, force: true }),
  };
}
