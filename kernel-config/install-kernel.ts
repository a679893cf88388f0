/**
 * `npm run kernel:install [-- --jupyter-path DIR]`: registers the project's Jupyter kernel
 * "TypeScript (rerank-scaling)" by writing `kernels/rerank-scaling/kernel.json` into a Jupyter data folder.
 * `tslab install` would need IPython; a kernelspec is only this JSON file, so we write it ourselves.
 *
 * Where: `--jupyter-path DIR` (a folder you then list in `JUPYTER_PATH`, as the tests do), else `JUPYTER_DATA_DIR`,
 * else the user's Jupyter data folder (~/.local/share/jupyter on Linux, ~/Library/Jupyter on macOS,
 * %APPDATA%\jupyter on Windows), which JupyterLab on this machine reads.
 * Reference: jupyter_core `paths.py` (`jupyter_data_dir`); jupyter_client "Kernel specs" documentation.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const KERNEL_NAME = "rerank-scaling";
const PROJECT_ROOT = path.resolve(__dirname, "..");
const KERNEL_JSON_TEMPLATE = path.join(__dirname, "kernel.json");

/** The user's Jupyter data folder, as jupyter_core computes it (`jupyter --data-dir`). */
export function userJupyterDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return path.resolve(env.JUPYTER_DATA_DIR);
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter");
}

/** The kernelspec for this checkout: kernel-config/kernel.json with the node binary and project root filled in. */
export function kernelSpec(nodeBinary: string = process.execPath): Record<string, unknown> {
  const template = fs.readFileSync(KERNEL_JSON_TEMPLATE, "utf8");
  const filled = template
    .replace(/\{NODE\}/g, JSON.stringify(nodeBinary).slice(1, -1))
    .replace(/\{PROJECT_ROOT\}/g, JSON.stringify(PROJECT_ROOT).slice(1, -1));
  return JSON.parse(filled) as Record<string, unknown>;
}

/**
 * Writes `<jupyterDataDir>/kernels/<kernelName>/kernel.json` (atomically: temp file + rename) and returns its path.
 * @example installKernel({ jupyterDataDir: "/tmp/jp" }) // "/tmp/jp/kernels/rerank-scaling/kernel.json"
 */
export function installKernel(options: { jupyterDataDir?: string; kernelName?: string } = {}): string {
  const { jupyterDataDir = userJupyterDataDir(), kernelName = KERNEL_NAME } = options;
  if (!/^[a-z0-9._-]+$/i.test(kernelName)) {
    throw new Error(`installKernel: kernel name "${kernelName}" may hold only letters, digits, ".", "_" and "-".`);
  }
  const kernelDir = path.join(path.resolve(jupyterDataDir), "kernels", kernelName);
  fs.mkdirSync(kernelDir, { recursive: true });
  const kernelJsonPath = path.join(kernelDir, "kernel.json");
  const temporaryPath = `${kernelJsonPath}.${process.pid}.tmp`;
  fs.writeFileSync(temporaryPath, JSON.stringify(kernelSpec(), null, 2) + "\n");
  fs.renameSync(temporaryPath, kernelJsonPath);
  return kernelJsonPath;
}

function main(args: string[]): number {
  let jupyterDataDir: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--jupyter-path" && args[index + 1]) jupyterDataDir = args[++index];
    else if (arg.startsWith("--jupyter-path=")) jupyterDataDir = arg.slice("--jupyter-path=".length);
    else {
      console.error(`kernel:install: unknown argument "${arg}". Usage: npm run kernel:install [-- --jupyter-path DIR]`);
      return 2;
    }
  }
  const kernelJsonPath = installKernel({ jupyterDataDir });
  console.log(`Registered Jupyter kernel "TypeScript (rerank-scaling)" (${KERNEL_NAME}): ${kernelJsonPath}`);
  if (jupyterDataDir) console.log(`Jupyter finds it with JUPYTER_PATH=${path.resolve(jupyterDataDir)}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
