// Layout and surroundings: table or compact list by the component's own width, the utility bar, the
// supervisor view, and opening cases and contacts.
import getDispositions from '@salesforce/apex/CallbackLifecycleController.getDispositions';
import { openTab } from 'lightning/platformWorkspaceApi';
import { updateUtility } from 'lightning/platformUtilityBarApi';
import { getNavigateCalledWith } from 'lightning/navigation';
import {
  OUTAGE,
  click,
  consoleWire,
  deliver,
  holdRefresh,
  renderWorklist,
  serverFails,
  serverReturns,
  useWorklistSetUp,
  utilityWire
} from './worklistHarness';
import {
  FakeResizeObserver,
  JANE,
  button,
  cellText,
  createWorklist,
  flushPromises,
  root,
  rowByKey,
  setWidth
} from './worklistTestKit';

const mockPage = require('./data/getWorklist.json');
const mockEvent = require('./data/disconnectedCallEvent.json');

describe('c-callback-worklist', () => {
  useWorklistSetUp();

  describe('component width and the utility bar', () => {
    it('is a table where there is room and a compact list with Call and Log in a utility panel', async () => {
      const element = await renderWorklist(mockPage, 1200);
      expect(root(element).querySelector('table')).not.toBeNull();

      await setWidth(620);
      expect(root(element).querySelector('table')).toBeNull();
      expect(root(element).querySelectorAll('[data-id="list"] > li')).toHaveLength(5);
      const jane = rowByKey(element, JANE);
      expect(button(jane, 'call')?.textContent?.trim()).toBe('Call');
      expect(button(jane, 'log')?.textContent?.trim()).toBe('Log');
      expect(cellText(jane, 'meta')).toBe(
        '+*******0100 · first drop 55 min ago · attempts 1 (last 30 min ago)'
      );
      expect(button(root(element), 'next')).not.toBeNull();
    });

    it('follows the component, not the window, and folds the filters away when narrow', async () => {
      Reflect.set(window, 'innerWidth', 1920);
      const element = await renderWorklist(mockPage, 400);
      expect(root(element).querySelector('[data-id="list"]')).not.toBeNull();
      expect(FakeResizeObserver.instances[0]?.targets[0]).toBe(
        root(element).querySelector('[data-id="frame"]')
      );
      expect(root(element).querySelector('lightning-combobox')).toBeNull();
      await click(button(root(element), 'filters-toggle'));
      expect(root(element).querySelectorAll('lightning-combobox')).toHaveLength(3);
    });

    it('puts the true number waiting in the utility label, highlighted for new arrivals', async () => {
      serverReturns(mockPage);
      createWorklist();
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (927)',
        highlighted: false,
        iconVariant: ''
      });
      holdRefresh();
      await deliver(mockEvent);
      expect(updateUtility).toHaveBeenLastCalledWith('utility-7', {
        label: 'Callbacks (928)',
        highlighted: true,
        iconVariant: ''
      });
    });

    it('turns the utility icon to warning while the list cannot be refreshed, and leaves pages alone', async () => {
      serverFails(OUTAGE);
      createWorklist();
      utilityWire.emit('utility-7');
      await flushPromises();
      expect(updateUtility).toHaveBeenLastCalledWith(
        'utility-7',
        expect.objectContaining({ iconVariant: 'warning' })
      );
      while (document.body.firstChild) {
        document.body.removeChild(document.body.firstChild);
      }
      jest.mocked(updateUtility).mockClear();
      await renderWorklist();
      expect(updateUtility).not.toHaveBeenCalled();
    });
  });

  describe('supervisor view', () => {
    it('shows everyone waiting, who is calling whom, retry delays, due-by breaches and the oldest wait', async () => {
      const element = await renderWorklist(mockPage, 1200, { view: 'supervisor' });
      const tiles = Array.from(root(element).querySelectorAll('[data-id="tiles"] li')).map((li) =>
        (li.textContent ?? '').replace(/\s+/g, ' ').trim()
      );
      expect(tiles).toEqual([
        '927 Waiting',
        '600 Ready to call',
        '20 Being called',
        '250 Retry later',
        '12 Past due-by',
        '22 h Oldest wait'
      ]);
      expect(root(element).querySelector('[data-id="overdue"]')?.className).toContain('tile_warn');
      expect(cellText(root(element), 'claims')).toMatch(
        /^Who is calling whom\s?Ben Agent → Omar Haddad \(until .+\)$/
      );
      expect(root(element).querySelectorAll('button[data-id="call"], button[data-id="log"]')).toHaveLength(0);
      expect(button(root(element), 'next')).toBeNull();
      expect(getDispositions).not.toHaveBeenCalled();
    });
  });

  describe('records', () => {
    it('opens a case in a console tab, else on its record page', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      const menu = rowByKey(element, JANE).querySelector('lightning-button-menu') as Element;
      menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'open:500Hs00001AbCdEAA1' } }));
      await flushPromises();
      expect(openTab).toHaveBeenCalledWith({ recordId: '500Hs00001AbCdEAA1', focus: true });

      consoleWire.emit(false);
      menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'open:500Hs00001AbCdEAA3' } }));
      await flushPromises();
      expect(getNavigateCalledWith().pageReference).toEqual({
        type: 'standard__recordPage',
        attributes: { recordId: '500Hs00001AbCdEAA3', objectApiName: 'Case', actionName: 'view' }
      });
    });

    it('opens the matched contact from the customer link', async () => {
      const element = await renderWorklist();
      consoleWire.emit(true);
      const link = rowByKey(element, JANE).querySelector('a') as HTMLAnchorElement;
      const clickEvent = new MouseEvent('click', { bubbles: true, cancelable: true });
      link.dispatchEvent(clickEvent);
      await flushPromises();
      expect(clickEvent.defaultPrevented).toBe(true);
      expect(openTab).toHaveBeenCalledWith({ recordId: JANE, focus: true });
    });
  });
});
