'use strict';
// The CommonJS entry of rnnlab, an ES module package. Where Node can require() ES modules
// (Node ≥ 20.19) it returns the package itself; elsewhere it says how to load it.
try {
  module.exports = require('./index.js');
} catch (e) {
  if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
    const error = new Error(
      "rnnlab is an ES module, which this Node version cannot require(): load it with `const rnnlab = await import('rnnlab')`, or use Node ≥ 20.19",
    );
    error.code = 'ERR_REQUIRE_ESM';
    throw error;
  }
  throw e;
}
