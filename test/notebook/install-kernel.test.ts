import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { installKernel, KERNEL_NAME, userJupyterDataDir } from "../../kernel-config/install-kernel";
import { findJupyter, PROJECT_ROOT } from "../../src";

test("kernel:install writes a kernelspec that Jupyter lists through JUPYTER_PATH, starting the wrapper with this node", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "rerank-kernel-"));
  try {
    const kernelJsonPath = installKernel({ jupyterDataDir: folder });
    assert.equal(kernelJsonPath, path.join(folder, "kernels", KERNEL_NAME, "kernel.json"));
    const spec = JSON.parse(fs.readFileSync(kernelJsonPath, "utf8")) as { argv: string[]; display_name: string; language: string };
    assert.deepEqual(spec.argv, [process.execPath, path.join(PROJECT_ROOT, "kernel-config", "start-kernel.js"), "{connection_file}"]);
    assert.equal(spec.display_name, "TypeScript (rerank-scaling)");
    assert.equal(spec.language, "typescript");
    // Jupyter itself (jupyter_client's KernelSpecManager) must find it there.
    const { jupyterCommand } = findJupyter();
    const listed = spawnSync(jupyterCommand, ["kernelspec", "list", "--json"], {
      env: { ...process.env, JUPYTER_PATH: folder, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      encoding: "utf8",
    });
    assert.equal(listed.status, 0, listed.stderr);
    const kernelspecs = (JSON.parse(listed.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
    assert.equal(kernelspecs[KERNEL_NAME]?.resource_dir, path.join(folder, "kernels", KERNEL_NAME));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("the default kernels folder follows jupyter_core: JUPYTER_DATA_DIR, else XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter", () => {
  assert.equal(userJupyterDataDir({ JUPYTER_DATA_DIR: "/x/data" }), "/x/data");
  if (process.platform === "linux") {
    assert.equal(userJupyterDataDir({ XDG_DATA_HOME: "/xdg" }), "/xdg/jupyter");
    assert.equal(userJupyterDataDir({}), path.join(os.homedir(), ".local", "share", "jupyter"));
  }
  assert.throws(() => installKernel({ jupyterDataDir: os.tmpdir(), kernelName: "../escape" }), /may hold only letters, digits/);
});

test("the wrapper refuses to start without a connection file, saying how the kernel is meant to be started", () => {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "kernel-config", "start-kernel.js")], { encoding: "utf8" });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /missing the connection file argument.*npm run kernel:install/);
});
