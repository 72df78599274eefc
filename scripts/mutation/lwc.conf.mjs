// Mutation testing of the worklist LWC TypeScript sources. `npm run test:mutation -- lwc`.
import { strykerConfig } from './stryker-config.mjs';

export default strykerConfig({
  name: 'lwc',
  mutate: ['force-app/main/default/lwc/**/*.ts', '!force-app/main/default/lwc/**/__tests__/**'],
  breakAt: 85
});
