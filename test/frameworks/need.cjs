// Loads a test-only framework package from .cache/frameworks/ (installed there by install.sh from
// test/frameworks/package.json), so that the apps beside this file find it wherever they are run.
const path = require('node:path');
const { createRequire } = require('node:module');

module.exports = createRequire(path.join(__dirname, '../../.cache/frameworks/package.json'));
