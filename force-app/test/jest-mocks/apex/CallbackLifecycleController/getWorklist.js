// Shared jest mock of the Apex method CallbackLifecycleController.getWorklist (mapped in jest.config.js): each test file
// gets its own jest.fn to drive (jest.mocked(getWorklist).mockResolvedValue(...)).
export default jest.fn();
