// Shared jest mock of the Apex method CallbackLifecycleController.getDispositions (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(getDispositions).mockResolvedValue(...)).
export default jest.fn();
