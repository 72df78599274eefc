/* global jest */
// Accessibility matchers (toBeAccessible) for LWC tests.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();

// A worklist test renders the whole component in jsdom (and axe checks it): well under a second on a quiet
// machine, but several seconds on the shared 2-core one while mutation runs and benchmarks go on. jest's 5 s
// default then fails good tests, and an axe check it cuts off leaves axe running, which fails every later check
// in the file ("Axe is already running"). A hung test still fails, after 30 s.
jest.setTimeout(30000);
