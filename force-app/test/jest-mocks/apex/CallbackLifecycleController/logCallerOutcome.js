// Shared jest mock of the Apex method CallbackLifecycleController.logCallerOutcome (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(logCallerOutcome).mockResolvedValue(...)).
export default jest.fn();
