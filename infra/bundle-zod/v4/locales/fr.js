// `zod/v4/locales/fr.js` through the alias of infra/bundle-zod (shared/domain/application.ts imports it).
export { default } from '../../../../node_modules/zod/v4/locales/fr.js';
