// Shared jest mock of the Apex method CallbackLifecycleController.claimCaller (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(claimCaller).mockResolvedValue(...)).
export default jest.fn();
