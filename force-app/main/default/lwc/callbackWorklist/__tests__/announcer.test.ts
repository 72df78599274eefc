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

describe('punctuation', () => {
  it('speaks a sentence on its own exactly as written', () => {
    expect(summarise([{ kind: 'info', text: 'Saved, but the note was cut to 255 characters!' }])).toBe(
      'Saved, but the note was cut to 255 characters!'
    );
  });

  it('joins sentences of different kinds with one full stop each, keeping the stops inside them', () => {
    expect(
      summarise([
        {
          kind: 'new',
          text: 'New dropped call from Dr. Ann Lee: Abandoned after 3 min.',
          who: 'Dr. Ann Lee'
        },
        { kind: 'left', text: 'St. John got through on their own and left the list.', who: 'St. John' }
      ])
    ).toBe(
      'New dropped call from Dr. Ann Lee: Abandoned after 3 min. St. John got through on their own and left the list.'
    );
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

  it('speaks the first thing it is told exactly as written', () => {
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text));
    announcer.say({ kind: 'info', text: 'Saved!' });
    expect(said).toEqual(['Saved!']);
    announcer.dispose();
  });

  it('drops what was waiting when disposed, for good, and keeps its pace when told more', () => {
    const said: string[] = [];
    const announcer = new Announcer((text) => said.push(text), 1000);
    announcer.say(newCaller('Ann'));
    announcer.say(newCaller('Bob'));
    jest.advanceTimersByTime(500);
    announcer.dispose();
    announcer.say({ kind: 'info', text: 'Back!' });
    // When the old quiet period would have ended, the new one still runs: Cy waits for its end.
    jest.advanceTimersByTime(600);
    announcer.say(newCaller('Cy'));
    expect(said).toEqual(['New dropped call from Ann.', 'Back!']);
    jest.advanceTimersByTime(400);
    expect(said).toEqual(['New dropped call from Ann.', 'Back!', 'New dropped call from Cy.']);
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
