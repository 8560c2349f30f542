// botbuilder-dialogs, narrowed (why: UNREACHABLE_PACKAGES in infra/defaults.ts): the package's index loads all of it
// (prompts with their CLDR data, choices, skills, DialogManager, the bot component); this entry loads only the modules
// that Botkit and bot/engine.ts run, from the package's own lib/ files, and each of them what it requires (DialogContext
// brings the memory scopes, which every turn uses). Any other member is a stand-in that throws when run.
// The path is relative on purpose: `botbuilder-dialogs/lib/…` would be aliased to this very file.
const lib = {
  ...require('../../node_modules/botbuilder-dialogs/lib/dialog.js'), // Dialog, DialogReason, DialogTurnStatus
  ...require('../../node_modules/botbuilder-dialogs/lib/dialogSet.js'),
  ...require('../../node_modules/botbuilder-dialogs/lib/dialogContext.js'),
  ...require('../../node_modules/botbuilder-dialogs/lib/waterfallDialog.js'), // Botkit wraps each dialog in one
  ...require('../../node_modules/botbuilder-dialogs/lib/prompts/activityPrompt.js'), // Botkit's only prompt
};
module.exports = require('./unreachable.cjs').partly('botbuilder-dialogs', lib);
