#include "resize.h"

#include "tessera/op_attrs.h"

#include <sstream>
#include <string>

namespace tessera::contracts {

namespace {

ResizeAxis axis(int64_t in, int64_t out, bool align, bool half) {
  const float scale = align && out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                       : static_cast<float>(in) / static_cast<float>(out);
  return ResizeAxis{in, out, out > 0 ? scale : 0.0f, align, half};
}

std::string dims(const View& v) {
  std::ostringstream s;
  s << "[";
  for (int i = 0; i < v.rank(); ++i) s << (i ? ", " : "") << v.dim(i);
  s << "]";
  return s.str();
}

}  // namespace

ResizeGeometry resize_geometry(const char* op, const KernelArgs& args, const View& image, const View& output) {
  // The addon checked the attributes against ops.def (both are 0 or 1).
  const auto a = attrs::ResizeBilinearAttrs::read(args);
  const bool align = a.align_corners, half = a.half_pixel_centers;
  TK_CHECK(!(align && half), op << ": align_corners and half_pixel_centers cannot both be set");
  TK_CHECK(image.rank() == 4 && output.rank() == 4,
           op << ": expected NHWC image and output of rank 4, got ranks " << image.rank() << " and " << output.rank());
  TK_CHECK(image.dim(0) == output.dim(0) && image.dim(3) == output.dim(3),
           op << ": expected the same batch and channels in and out, got " << dims(image) << " and " << dims(output));
  TK_CHECK(image.dtype() == output.dtype(), op << ": expected one dtype in and out, got " << dtype_name(image.dtype())
                                               << " and " << dtype_name(output.dtype()));
  const bool reads = output.size() > 0;
  TK_CHECK(!reads || (image.dim(1) > 0 && image.dim(2) > 0),
           op << ": cannot resize an empty image " << dims(image) << " to " << dims(output));
  return ResizeGeometry{axis(image.dim(1), output.dim(1), align, half), axis(image.dim(2), output.dim(2), align, half),
                        image.dim(0), image.dim(3)};
}

}  // namespace tessera::contracts
