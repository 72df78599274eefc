// Shared jest mock of lightning/platformUtilityBarApi, which sfdx-lwc-jest does not stub.
// EnclosingUtilityId is a test wire adapter (tests emit the utility id); the functions are jest.fn()s.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const EnclosingUtilityId = createTestWireAdapter(jest.fn());
export const updateUtility = jest.fn(() => Promise.resolve(true));
export const open = jest.fn(() => Promise.resolve(true));
export const minimize = jest.fn(() => Promise.resolve(true));
export const getInfo = jest.fn(() => Promise.resolve({ id: 'utility-1', utilityVisible: true }));
