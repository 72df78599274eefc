// Mutation testing of the relay's pure steps and handler (relay/src). `npm run test:mutation -- relay`.
import { strykerConfig } from './stryker-config.mjs';

export default strykerConfig({
  name: 'relay',
  mutate: ['relay/src/**/*.ts', '!relay/src/cli.ts'],
  breakAt: 95
});
