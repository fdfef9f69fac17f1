// Compares the SHA-256 of a chosen file with the issued document's, locally.
(function () {
  var want = document.getElementById('verify-script').dataset.sha256;
  var input = document.getElementById('file');
  var out = document.getElementById('file-result');
  input.addEventListener('change', function () {
    var f = input.files[0];
    if (!f) { return; }
    if (!window.crypto || !crypto.subtle) { out.textContent = '当前浏览器不支持本机校验，请使用新版浏览器。'; return; }
    f.arrayBuffer().then(function (buf) { return crypto.subtle.digest('SHA-256', buf); }).then(function (d) {
      var hex = Array.prototype.map.call(new Uint8Array(d), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      out.textContent = hex === want ? '一致：该文件与签发的文书完全相同。' : '不一致：该文件与签发的文书不同，可能被修改过。（' + hex + '）';
      out.className = hex === want ? 'ok' : 'bad';
    });
  });
})();
