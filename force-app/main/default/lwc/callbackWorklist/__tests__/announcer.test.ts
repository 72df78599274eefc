// What a screen-reader user hears from the worklist's live region: one sentence on its own, a burst folded into a
// summary (new callers first, then callers who left, then other updates; at most three names), and the pace.
import { ANNOUNCE_THROTTLE_MS, Announcer, spokenCaller, spokenNumber, summarise } from '../announcer';

const NOW = Date.parse('2026-11-25T14:00:00.000Z');

function newCaller(who?: string): { kind: 'new'; text: string; who?: string } {
  return { kind: 'new', text: `New dropped call from ${who ?? 'someone'}.`, who };
}

describe('summarise', () => {
  it('speaks a single announcement as it is', () => {
    expect(summarise([newCaller('Ann')])).toBe('New dropped call from Ann.');
  });

  it.each([
    [['Ann', 'Bob'], '2 new callers: Ann and Bob.'],
    [['Ann', 'Bob', 'Cy'], '3 new callers: Ann, Bob and Cy.'],
    [['Ann', 'Bob', 'Cy', 'Di'], '4 new callers: Ann, Bob, Cy and 1 more.'],
    [['Ann', 'Bob', 'Cy', 'Di', 'Ed'], '5 new callers: Ann, Bob, Cy and 2 more.']
  ])('names at most three callers: %p', (who, text) => {
    expect(summarise(who.map((name) => newCaller(name)))).toBe(text);
  });

  it('names only the callers it can name, and counts them all', () => {
    expect(summarise([newCaller(), newCaller('Bob'), newCaller()])).toBe('3 new callers: Bob.');
    expect(summarise([newCaller(), newCaller()])).toBe('2 new callers.');
  });

  it('puts new callers first, then those who left, then other updates, whatever order they came in', () => {
    expect(
      summarise([
        { kind: 'info', text: "You're calling Ann." },
        { kind: 'left', text: 'Cy left the list.', who: 'Cy' },
        { kind: 'left', text: 'Di left the list.', who: 'Di' },
        newCaller('Bob'),
        { kind: 'info', text: 'Release failed.' }
      ])
    ).toBe('New dropped call from Bob. 2 callers left the list: Cy and Di. 2 updates.');
  });
});

describe('spoken names', () => {
  it('uses the name, else the last four digits, else says it does not know', () => {
    expect(spokenCaller('Jane Doe', '+*******0100')).toBe('Jane Doe');
    expect(spokenCaller(null, '+*******0100')).toBe('number ending 0100');
    expect(spokenCaller('', '')).toBe('an unknown caller');
    expect(spokenCaller(undefined, undefined)).toBe('an unknown caller');
    expect(spokenNumber('+44 **** 12 3456')).toBe('number ending 3456');
    expect(spokenNumber('+*****')).toBeNull();
  });
});

describe('Announcer', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('waits four seconds after speaking before it speaks again', () => {
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text));
    announcer.say(newCaller('Ann'));
    announcer.say(newCaller('Bob'));
    jest.advanceTimersByTime(ANNOUNCE_THROTTLE_MS - 1);
    expect(said).toEqual(['New dropped call from Ann.']);
    jest.advanceTimersByTime(1);
    expect(said).toEqual(['New dropped call from Ann.', 'New dropped call from Bob.']);
    announcer.dispose();
  });

  it('speaks at once when the quiet period is over', () => {
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text), 1000);
    announcer.say(newCaller('Ann'));
    jest.advanceTimersByTime(1000);
    announcer.say(newCaller('Bob'));
    expect(said).toEqual(['New dropped call from Ann.', 'New dropped call from Bob.']);
    jest.advanceTimersByTime(5000);
    announcer.say(newCaller('Cy'));
    expect(said).toHaveLength(3);
    announcer.dispose();
  });

  it('says nothing more once disposed', () => {
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text), 1000);
    announcer.say(newCaller('Ann'));
    announcer.say(newCaller('Bob'));
    announcer.dispose();
    jest.advanceTimersByTime(5000);
    expect(said).toEqual(['New dropped call from Ann.']);
  });
});
