// Shared jest mock of the Apex method CallbackLifecycleController.claimNext (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(claimNext).mockResolvedValue(...)).
export default jest.fn();
