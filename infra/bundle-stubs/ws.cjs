// ws: left out of the Lambda bundles (why: UNREACHABLE_PACKAGES in infra/defaults.ts).
module.exports = require('./unreachable.cjs').unreachable('ws');
