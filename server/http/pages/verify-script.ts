/**
 * The verification page's one script, inlined under a nonce. Plain ES2017 so every browser that opens a
 * QR code runs it; without it the page's form still posts the file. The file goes to the API's
 * verifyDocument as it is: the browser computes nothing the verdict rests on. The words come from the
 * section's data-say-* attributes (the page's language); the verdict is written as text, never as HTML.
 */
export const VERIFY_SCRIPT = `(function () {
  var box = document.querySelector('section.check');
  if (!box) return;
  var form = box.querySelector('form.upload');
  var zone = box.querySelector('.drop');
  var input = form.querySelector('input[type=file]');
  var out = box.querySelector('.match');
  var words = box.dataset;
  function say(kind, text) {
    out.hidden = false;
    out.setAttribute('data-match', kind);
    out.textContent = text;
  }
  function check(file) {
    if (!file) return say('no-file', words.sayNofile);
    say('checking', words.sayChecking);
    fetch(words.api, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file, credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (answer) {
        var kind = answer && answer.match;
        if (kind !== 'current' && kind !== 'superseded' && kind !== 'none') throw new Error('unexpected answer');
        say(kind, { current: words.sayCurrent, superseded: words.saySuperseded, none: words.sayNone }[kind]);
      })
      .catch(function () {
        say('failed', words.sayFailed);
      });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    check(input.files && input.files[0]);
  });
  input.addEventListener('change', function () {
    if (input.files && input.files[0]) check(input.files[0]);
  });
  zone.addEventListener('dragover', function (e) {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', function () {
    zone.classList.remove('over');
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    zone.classList.remove('over');
    check(e.dataTransfer && e.dataTransfer.files[0]);
  });
})();`;
