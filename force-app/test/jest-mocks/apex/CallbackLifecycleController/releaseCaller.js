// Shared jest mock of the Apex method CallbackLifecycleController.releaseCaller (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(releaseCaller).mockResolvedValue(...)).
export default jest.fn();
