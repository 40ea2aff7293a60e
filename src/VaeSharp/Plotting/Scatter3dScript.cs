namespace VaeSharp.Plotting;

/// <summary>
/// The inline JavaScript of <see cref="HtmlReport.AddScatter3d"/>: a rotating 3-D scatter on a 2-D canvas, with no
/// library. Points are centred and scaled alike on all axes (so the cloud keeps its shape), rotated by yaw and pitch,
/// projected orthographically and painted far to near. Placeholders: __ID__ (the canvas), __POINTS__ ([x, y, z, label]
/// rows) and __COLORS__ (one CSS colour per label).
/// </summary>
internal static class Scatter3dScript
{
    public const string Source = """
        (function () {
          var canvas = document.getElementById('__ID__');
          var context = canvas.getContext('2d');
          var points = __POINTS__;
          var colors = __COLORS__;
          var center = [0, 0, 0], extent = 1e-9;
          points.forEach(function (p) { for (var k = 0; k < 3; k++) center[k] += p[k] / points.length; });
          points.forEach(function (p) { for (var k = 0; k < 3; k++) extent = Math.max(extent, Math.abs(p[k] - center[k])); });
          var unit = points.map(function (p) { return [(p[0] - center[0]) / extent, (p[1] - center[1]) / extent, (p[2] - center[2]) / extent, p[3]]; });
          var yaw = 0.7, pitch = 0.35, dragging = false, lastX = 0, lastY = 0;

          function rotate(p) {
            var cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
            var x = p[0] * cy - p[2] * sy, depth = p[0] * sy + p[2] * cy;
            return [x, p[1] * cp - depth * sp, p[1] * sp + depth * cp];
          }

          function draw() {
            var width = canvas.width, height = canvas.height, scale = 0.42 * Math.min(width, height);
            context.fillStyle = '#ffffff';
            context.fillRect(0, 0, width, height);
            context.lineWidth = 1.5;
            context.font = '14px sans-serif';
            ['z[0]', 'z[1]', 'z[2]'].forEach(function (name, axis) {
              var tip = [0, 0, 0];
              tip[axis] = 1.1;
              var end = rotate(tip);
              context.strokeStyle = '#888888';
              context.beginPath();
              context.moveTo(width / 2, height / 2);
              context.lineTo(width / 2 + end[0] * scale, height / 2 - end[1] * scale);
              context.stroke();
              context.fillStyle = '#333333';
              context.fillText(name, width / 2 + end[0] * scale + 4, height / 2 - end[1] * scale);
            });
            var projected = unit.map(function (p) { var r = rotate(p); return [r[0], r[1], r[2], p[3]]; });
            projected.sort(function (a, b) { return b[2] - a[2]; });
            context.globalAlpha = 0.75;
            projected.forEach(function (p) {
              context.fillStyle = colors[p[3] % colors.length];
              context.fillRect(width / 2 + p[0] * scale - 2, height / 2 - p[1] * scale - 2, 4, 4);
            });
            context.globalAlpha = 1;
            colors.forEach(function (color, digit) {
              context.fillStyle = color;
              context.fillRect(width - 60, 20 + digit * 22, 12, 12);
              context.fillStyle = '#333333';
              context.fillText(String(digit), width - 40, 31 + digit * 22);
            });
            context.fillText('drag to rotate', 10, height - 10);
          }

          canvas.addEventListener('pointerdown', function (event) {
            dragging = true; lastX = event.clientX; lastY = event.clientY; canvas.setPointerCapture(event.pointerId);
          });
          canvas.addEventListener('pointermove', function (event) {
            if (!dragging) return;
            yaw += (event.clientX - lastX) * 0.01;
            pitch = Math.max(-1.5, Math.min(1.5, pitch + (event.clientY - lastY) * 0.01));
            lastX = event.clientX; lastY = event.clientY;
            draw();
          });
          canvas.addEventListener('pointerup', function () { dragging = false; });
          draw();
        })();
        """;
}
