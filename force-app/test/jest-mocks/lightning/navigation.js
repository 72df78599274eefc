// Shared jest mock of lightning/navigation: the stock sfdx-lwc-jest stub swallows Navigate calls, this one
// records them (getNavigateCalledWith) so tests can assert where a click leads.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

let lastPageReference;
let lastReplace;

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      lastPageReference = pageReference;
      lastReplace = replace;
    }

    [GenerateUrl](pageReference) {
      const attributes = (pageReference && pageReference.attributes) || {};
      return Promise.resolve(`/lightning/r/${attributes.objectApiName}/${attributes.recordId}/view`);
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** The page reference of the last Navigate call (undefined when there was none), and its replace flag. */
export const getNavigateCalledWith = () => ({ pageReference: lastPageReference, replace: lastReplace });

/** Forget the last Navigate call (call from afterEach). */
export const resetNavigate = () => {
  lastPageReference = undefined;
  lastReplace = undefined;
};
