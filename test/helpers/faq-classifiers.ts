// Test setup (vitest.config.ts): each test file keeps the FAQ classifiers it trains in `.cache/faq/`, as `npm start`
// does (infra/local/faq-model-cache.ts). The suite builds dozens of chat services and matchers over the same
// knowledge base; each would otherwise train the classifier over 10,000 phrasings (≈ 3 s). The stored model is the
// trained one byte for byte (test/unit/faq/classifier-store.test.ts), and an edited knowledge base has another key, so
// it still trains.
import { keepFaqClassifiers } from '../../infra/local/faq-model-cache.js';

keepFaqClassifiers();
