/**
 * Preloaded into the project's tslab kernel (`node --require scripts/kernel-preload.cjs …`, set in
 * the kernelspec by scripts/install/kernel.ts) to keep errors visible in notebooks. Two fixes to
 * tslab 1.0.22, made by wrapping two methods of its Jupyter handler (no file of tslab changes):
 *
 * 1. A cell that throws makes tslab cancel every request that arrives in the next 200 ms
 *    (`execQueue.reset(200)`), even when the client sent `stop_on_error: false` — which
 *    `jupyter nbconvert --execute --allow-errors` and nbclient do for cells tagged
 *    `raises-exception`. Every later cell was then skipped without a word (no output, no
 *    execution count, exit 0). Here a request with `stop_on_error: false` neither waits on nor
 *    poisons the queue: it runs after the cells before it, whatever their outcome, and its own
 *    error cancels nothing. Requests with `stop_on_error: true` (JupyterLab's "run all", the
 *    default) keep tslab's behaviour: a failure stops the cells queued after it.
 * 2. A Promise rejected without anyone awaiting it was reported by tslab only after the cell's
 *    reply, where no client listens any more, so it vanished. Here each cell's reply waits one
 *    turn of the event loop, so Node reports the rejection while the cell is still running: it
 *    shows in that cell's output ("UnhandledPromiseRejection: …", tslab's own message). Whatever
 *    is rejected later also goes to the kernel's own stderr (the terminal or the runner's log).
 *
 * The wrappers check what they wrap and do nothing (with one warning on stderr) when tslab's
 * internals are not what they expect, e.g. after an upgrade; test/scripts-nbexec-errors.test.ts
 * fails then. Outside a tslab kernel process (NODE_OPTIONS reaches child processes too) this file
 * does nothing.
 */
'use strict';

const { isMainThread } = require('node:worker_threads');
const path = require('node:path');

function isTslabKernel() {
  const script = process.argv[1] || '';
  return isMainThread && path.basename(script) === 'tslab' && process.argv.includes('kernel');
}

function patch() {
  let jupyter;
  let util;
  try {
    const main = require.resolve('tslab/dist/main.js', { paths: [process.argv[1] ? path.dirname(process.argv[1]) : '', process.cwd(), __dirname].filter(Boolean) });
    jupyter = require(path.join(path.dirname(main), 'jupyter.js'));
    util = require(path.join(path.dirname(main), 'util.js'));
  } catch (err) {
    process.stderr.write(`kernel-preload: tslab not found, errors-allowed fix not applied (${err.message})\n`);
    return false;
  }
  const Handler = jupyter.JupyterHandlerImpl;
  const proto = Handler && Handler.prototype;
  const expected =
    proto &&
    typeof proto.handleExecute === 'function' &&
    typeof proto.handleExecuteImpl === 'function' &&
    /execQueue\.reset\(200\)/.test(String(proto.handleExecute)) &&
    typeof util.TaskCanceledError === 'function';
  if (!expected) {
    process.stderr.write('kernel-preload: tslab internals changed; the errors-allowed and unawaited-rejection fixes are not applied\n');
    return false;
  }
  const originalExecute = proto.handleExecute;
  const originalImpl = proto.handleExecuteImpl;
  const realStderrWrite = process.stderr.write.bind(process.stderr);

  // 2. Let Node report a rejection the cell left behind while the cell still owns the output.
  proto.handleExecuteImpl = async function handleExecuteImpl(req, writeStream, writeDisplayData) {
    try {
      return await originalImpl.call(this, req, writeStream, writeDisplayData);
    } finally {
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  // 1. stop_on_error: false — run after the queue whatever its outcome, and cancel nothing.
  proto.handleExecute = async function handleExecute(req, writeStream, writeDisplayData) {
    if (!req || req.stop_on_error !== false) return originalExecute.call(this, req, writeStream, writeDisplayData);
    const queue = this.execQueue;
    const run = () => this.handleExecuteImpl(req, writeStream, writeDisplayData);
    const task = queue.prev.then(run, (reason) => {
      // An earlier stop_on_error cell failed: Jupyter cancels the requests queued after it.
      throw reason instanceof util.TaskCanceledError ? reason : new util.TaskCanceledError(reason);
    });
    // Later cells wait for this one but are not cancelled by its own error.
    queue.prev = task.catch((e) => {
      if (e instanceof util.TaskCanceledError) throw e;
    });
    let status = 'ok';
    let count;
    try {
      count = await task;
    } catch (e) {
      if (e instanceof util.TaskCanceledError) status = 'aborted';
      else if (e && typeof e.count === 'number') {
        status = 'error';
        count = e;
      } else {
        status = 'error';
        console.error('unexpected error:', e);
      }
    }
    return { status, execution_count: count ? count.count : undefined };
  };

  // Rejections and exceptions after their cell replied: to the kernel's own stderr as well.
  process.on('unhandledRejection', (reason) => {
    realStderrWrite(`kernel: unhandled promise rejection (a Promise nobody awaited): ${reason && reason.stack ? reason.stack : String(reason)}\n`);
  });
  return true;
}

if (isTslabKernel()) patch();

module.exports = { patch };
